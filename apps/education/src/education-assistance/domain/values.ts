/**
 * Money and calendar values of the education domain: all of them are the departments' shared ones
 * (`@platform/assistance-domain`), re-exported so that the domain imports them from one place. Money is
 * integer fen inside the domain and yuan at its edges (the policy tables, answers).
 */
export * from '@platform/assistance-domain';
