/**
 * Where "now" comes from. Everything that needs the time takes a Clock, so tests move
 * time by hand instead of sleeping, and rules receive the instant as a parameter.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
