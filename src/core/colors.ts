import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export type ColorChoice = 'auto' | 'always' | 'never';

let choice: ColorChoice = 'auto';

/** `--color always|never` beats the environment and the terminal; `auto` leaves them to decide. */
export function setColorChoice(value: ColorChoice): void {
  choice = value;
}

/**
 * Colour only for a terminal, and never with NO_COLOR set (https://no-color.org);
 * FORCE_COLOR=1 turns it on for pipes, FORCE_COLOR=0 off in a terminal (as chalk and
 * supports-color read it). picocolors alone would also colour CI logs.
 */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  if (choice !== 'auto') return pc.createColors(choice === 'always');
  const env = process.env;
  const force = env.FORCE_COLOR;
  const forcedOff = force === '0' || force === 'false';
  const forcedOn = force !== undefined && !forcedOff;
  const enabled =
    !('NO_COLOR' in env && env.NO_COLOR !== '') &&
    !forcedOff &&
    (forcedOn || (stream.isTTY === true && env.TERM !== 'dumb'));
  return pc.createColors(enabled);
}
