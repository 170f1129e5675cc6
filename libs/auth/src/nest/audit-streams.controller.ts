import { BadRequestException, Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@platform/config';
import { EVENT_STORE, type EventStore } from '@platform/event-store';
import type { AuthenticatedActor } from '../tokens.js';
import { AccessLog } from './access-log.js';
import { CurrentActor, Roles } from './auth.decorators.js';

/**
 * For auditors only: a department's own internal streams as they stood at an instant, below the
 * integration events, and the verification of their hash chains. Every read is itself recorded.
 */
export function createAuditStreamsController(department: string) {
  @ApiTags('audit')
  @ApiBearerAuth()
  @Controller(`${department}/audit`)
  class AuditStreamsController {
    private readonly accessLog: AccessLog;

    constructor(
      @Inject(EVENT_STORE) readonly store: EventStore,
      @Inject(CLOCK) readonly clock: Clock,
    ) {
      this.accessLog = new AccessLog(store, () => clock.now());
    }

    @Get('streams/:stream')
    @Roles('audit:streams', 'auditor')
    @ApiOperation({
      summary: `Replay one of ${department}'s internal streams, optionally as it stood at ?at=<ISO time>`,
    })
    async stream(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('stream') stream: string,
      @Query('at') at?: string,
    ) {
      const until = at ? new Date(at) : undefined;
      if (until && Number.isNaN(until.getTime())) {
        throw new BadRequestException({
          code: 'INVALID_TIME',
          message: 'at：时间格式应为 ISO 8601',
          field: 'at',
        });
      }
      const events = await this.store.readStream(stream, until ? { until } : {});
      await this.accessLog.record(actor, {
        resourceType: 'stream',
        resourceId: stream,
        caseId: (events[0]?.data as { caseId?: string } | undefined)?.caseId ?? null,
        fields: ['events'],
        purpose: at ? `replay at ${at}` : 'replay',
      });
      return {
        stream,
        at: until?.toISOString() ?? null,
        version: events.length,
        verification: await this.store.verifyStream(stream),
        events: events.map((e) => ({
          ...e,
          globalPosition: e.globalPosition.toString(),
          transactionId: e.transactionId.toString(),
        })),
      };
    }
  }
  return AuditStreamsController;
}
