/**
 * The options argument of a service that writes: the instant it acts at, one for every row, event and email
 * of the change. Tests pass one; callers leave it out for the current time (`opts.now ?? new Date()`).
 */
export interface ClockOpts {
  now?: Date;
}
