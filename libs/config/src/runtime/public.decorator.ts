import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** No token needed: health probes, login, public notices, an applicant's progress. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
