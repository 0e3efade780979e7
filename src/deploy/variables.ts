/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` from known values, as Docker does for
 * ENV/WORKDIR/COPY and as a shell does for a command's words: the one expander the model and verify use.
 * An unknown or empty variable takes its default, else becomes ''.
 */
export function substituteVariables(value: string, known: ReadonlyMap<string, string>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|([A-Za-z_]\w*))/g,
    (_match, braced?: string, operator?: string, word?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const current = known.get(name);
      if (operator === '-') return current ? current : (word ?? '');
      if (operator === '+') return current ? (word ?? '') : '';
      return current ?? '';
    },
  );
}
