/**
 * Bounds for every number that reaches SQL. PostgreSQL's columns for versions, event ids, stats
 * and ledger deltas are 32-bit `integer` (SQLite's are 64-bit), and a value or an intermediate sum
 * past 2^31 - 1 there is an "integer out of range" error, a 500.
 *
 * Chosen over bigint end to end: bigint columns would rebuild Player and PlayerEvent (with their
 * triggers and hash chain) on every PostgreSQL installation, and JavaScript numbers are exact only
 * to 2^53 anyway, so the API would still need bounds. Instead the API refuses, with a 422 before
 * any SQL runs, numbers that could leave 32 bits: ids, versions and cursors at most 2^31 - 1, and
 * stat values and bounds within ±(2^30 - 1), so that a stat's sum (value + amount) and a ledger
 * delta (after - before) of any two allowed values still fit.
 */
export const SQL_INTEGER_MAX = 2_147_483_647;

/** Largest magnitude of a stat value, bound or amount: twice it still fits SQL_INTEGER_MAX. */
export const SQL_HALF_INTEGER_MAX = 1_073_741_823;
