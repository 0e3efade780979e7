import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour only for a terminal, and never with NO_COLOR set (https://no-color.org);
 * FORCE_COLOR=1 turns it on for pipes. picocolors alone would also colour CI logs.
 */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const enabled = !('NO_COLOR' in env && env.NO_COLOR !== '') && (forced || (stream.isTTY === true && env.TERM !== 'dumb'));
  return pc.createColors(enabled);
}
