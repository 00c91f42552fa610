// Appends a benchmark's result lines to its section of BENCHMARKS.md (created if missing), right
// after the section's last line, before the next "## " heading.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function appendToSection(section: string, lines: readonly string[]): string {
  const file = resolve('BENCHMARKS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const heading = `\n## ${section}`;
  if (!text.includes(heading)) text = text.trimEnd() + `\n\n## ${section}\n`;
  const start = text.indexOf(heading);
  const next = text.indexOf('\n## ', start + 5);
  text = next < 0 ? text.trimEnd() + '\n' + lines.join('\n') : text.slice(0, next).trimEnd() + '\n' + lines.join('\n') + text.slice(next);
  writeFileSync(file, text);
  return file;
}
