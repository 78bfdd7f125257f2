/** Time comes from a clock that is passed in, so tests can move it by days in a millisecond. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
