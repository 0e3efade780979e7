// A Helm template (`templates/deployment.yaml`) is YAML with Go template actions in it:
// `{{- include ... | nindent 4 }}` on a line of its own, `value: {{ .Values.env.X | quote }}` inline.
// YAML cannot parse most of them, so the actions are blanked before parsing, keeping every offset: an
// action alone on its line becomes blank, an inline one `~` (YAML's null) padded with spaces, a value not
// known here and so never reported. Literal values (`value: "1"`) stay as written and are read like any
// manifest's. GitHub's `${{ }}` is left alone.

const ACTION = /(?<!\$)\{\{[\s\S]*?\}\}/g;
const ONLY_ACTIONS = /^(?:[ \t]*\{\{[\s\S]*?\}\})*[ \t]*$/;

/** The text with Helm template actions blanked at the same offsets, or the text itself when it has none. */
export function withoutTemplateActions(text: string): string {
  if (!text.includes('{{')) return text;
  const blank = (action: string) => action.replace(/[^\n]/g, ' ');
  return text.replace(ACTION, (action: string, offset: number) => {
    // Alone on its line(s) (`{{- if .Values.x }}`, `{{- include ... | nindent 4 }}`, a `{{/* comment */}}`): blank.
    const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
    const end = offset + action.length;
    const lineEnd = text.indexOf('\n', end);
    const after = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
    const alone = ONLY_ACTIONS.test(before) && ONLY_ACTIONS.test(after.replace(/\r$/, ''));
    return alone ? blank(action) : `~${blank(action).slice(1)}`;
  });
}
