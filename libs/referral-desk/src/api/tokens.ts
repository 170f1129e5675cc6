export const DESK = Symbol('REFERRAL_DESK');
