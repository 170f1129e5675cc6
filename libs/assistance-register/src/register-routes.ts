import { Body, Get, HttpCode, Post, Query, type Type } from '@nestjs/common';
import type { IQuery, QueryBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor, type Role } from '@platform/auth';
import type { RegisterLookupDto } from './register-lookup.dto.js';

/** What a department's register routes dispatch, and how they are described and guarded. */
export interface RegisterRoutesOptions<ListDto, LookupDto extends RegisterLookupDto> {
  /** `<department>-register`: the permissions are `<prefix>:list` and `<prefix>:lookup`. */
  permissionPrefix: string;
  readers: readonly Role[];
  /** The department's own DTO classes: their names are the Swagger names, unique across the process. */
  listDto: Type<ListDto>;
  lookupDto: Type<LookupDto>;
  listQuery: (actor: AuthenticatedActor, q: ListDto) => IQuery;
  lookupQuery: (actor: AuthenticatedActor, dto: LookupDto) => IQuery;
  listSummary: string;
  lookupSummary: string;
}

/**
 * The two routes of a department's register below its controller's path, as a base class: `GET register`
 * (the jurisdiction's list) and `POST register/lookup` (by a household's members). Each builds the
 * department's query and dispatches it on the controller's query bus.
 */
export function RegisterRoutes<ListDto, LookupDto extends RegisterLookupDto>(
  o: RegisterRoutesOptions<ListDto, LookupDto>,
) {
  abstract class RegisterRoutesBase {
    protected abstract readonly queries: QueryBus;

    register(actor: AuthenticatedActor, q: ListDto): Promise<unknown> {
      return this.queries.execute(o.listQuery(actor, q));
    }

    lookup(actor: AuthenticatedActor, dto: LookupDto): Promise<unknown> {
      return this.queries.execute(o.lookupQuery(actor, dto));
    }
  }
  const proto = RegisterRoutesBase.prototype;
  const route = (
    key: 'register' | 'lookup',
    dto: Type<unknown>,
    decorators: MethodDecorator[],
    param: ParameterDecorator,
  ) => {
    // What `emitDecoratorMetadata` records for a method written in the department's controller: the
    // validation pipe and Swagger read the DTO class from it.
    Reflect.defineMetadata('design:paramtypes', [Object, dto], proto, key);
    Reflect.defineMetadata('design:returntype', Promise, proto, key);
    CurrentActor()(proto, key, 0);
    param(proto, key, 1);
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    for (const d of [...decorators].reverse()) d(proto, key, descriptor);
    Object.defineProperty(proto, key, descriptor);
  };
  route(
    'register',
    o.listDto,
    [
      Get('register'),
      Roles(`${o.permissionPrefix}:list`, ...o.readers) as MethodDecorator,
      ApiOperation({ summary: o.listSummary }),
    ],
    Query(),
  );
  route(
    'lookup',
    o.lookupDto,
    [
      Post('register/lookup'),
      HttpCode(200),
      Roles(`${o.permissionPrefix}:lookup`, ...o.readers) as MethodDecorator,
      ApiOperation({ summary: o.lookupSummary }),
    ],
    Body(),
  );
  return RegisterRoutesBase;
}
