// Every CLI edit that takes --if-version says in its help what leaving it out does: optional (checked
// when given), required (refused asking for it, exit 5), or the record read as it stands now (as
// `meeting agenda kind` does; its help said only "refuse if the meeting changed since you read this
// version", so leaving it out silently used the current version). Read in process: no command runs.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandTools } from '../../src/cli/command-tools.ts';
import { registerDecisionCommands } from '../../src/cli/decision-commands.ts';
import { registerMeetingCommands } from '../../src/cli/meeting-commands.ts';
import { registerProposalCommands } from '../../src/cli/proposal-commands.ts';

const unused = () => {
  throw new Error('no command runs here');
};
const tools: CommandTools = {
  withHub: unused,
  print: unused,
  report: unused,
  globals: () => ({}),
  words: (text) => text,
};

function program(): Command {
  const p = new Command('wghub');
  // the parents main.ts makes, where they are not made by these modules themselves
  const parents = (...names: string[]) => {
    for (const n of names) if (!p.commands.some((c) => c.name() === n)) p.command(n);
  };
  parents('import', 'export');
  registerProposalCommands(p, tools);
  registerMeetingCommands(p, tools);
  parents('jobs');
  registerDecisionCommands(p, { ...tools, governance: undefined });
  return p;
}

/** Each command's full name with its --if-version option's description. */
function ifVersionHelp(c: Command, prefix = ''): [string, string][] {
  const name = `${prefix}${prefix ? ' ' : ''}${c.name()}`;
  const own = c.options.filter((o) => o.long === '--if-version').map((o): [string, string] => [name, o.description]);
  return [...own, ...c.commands.flatMap((s) => ifVersionHelp(s, name))];
}

describe('--if-version in the help of every edit that takes it', () => {
  it('says what leaving it out does', () => {
    const all = ifVersionHelp(program());
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const [command, text] of all)
      expect({ command, text }).toEqual({ command, text: expect.stringMatching(/optional|required|needed|left out/) });
    expect(Object.fromEntries(all)['wghub meeting agenda kind']).toBe(
      'the version `meeting show` printed: refused if the meeting changed since (left out: the meeting as it stands now)',
    );
  });
});
