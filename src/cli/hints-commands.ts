import { cliIo } from './io.ts';
import type { CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import { invalid } from '../domain/errors.ts';
import { readOptionFile } from './files.ts';

export function registerHintsCommands(program: Command, { print }: CommandTools): void {
  program
    .command('hints')
    .description(
      "the guide's hints on a text: sentences that read as a position or as marketing, with what triggered them and a reframing (--lines FILE --json prints one {kind, cue, suggestion} per line, in order)",
    )
    .option('--text <text>', 'the text to judge')
    .option('--lines <file>', 'a file with one text per line ("-" reads standard input)')
    .action(async (o: { text?: string; lines?: string }) => {
      if ((o.text === undefined) === (o.lines === undefined))
        throw invalid('--text, --lines', 'give exactly one of them');
      const { checkHints, judgeLines } = await import('../app/hints/hints.ts');
      if (o.text !== undefined) {
        const { flags } = await checkHints({ text: o.text });
        print(
          flags,
          () =>
            flags.map((f) => `${f.kind}: "${f.sentence}"\n    triggered by ${f.cue}\n    ${f.suggestion}`).join('\n') ||
            'no hints: nothing reads as a position or as marketing',
        );
        return;
      }
      const file = o.lines!;
      const content = file === '-' ? await stdin() : readOptionFile('--lines', file);
      const lines = content.split(/\r?\n/);
      // a final line break ends the last line; it does not start another
      if (lines.length && lines.at(-1) === '') lines.pop();
      const verdicts = await judgeLines({ lines });
      print(verdicts, () => verdicts.map((v, i) => `${i + 1}\t${v.kind ?? '-'}\t${v.cue ?? ''}`).join('\n'));
    });
}

async function stdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of cliIo().stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
