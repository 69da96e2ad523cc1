// csi-workbench: the headless command line. Each subcommand is one module in ./commands exporting run(argv).
type Command = { run(argv: string[]): Promise<number>; summary: string };

const COMMANDS: Record<string, () => Promise<Command>> = {
  inspect: () => import('./commands/inspect'),
  simulate: () => import('./commands/simulate'),
  run: () => import('./commands/run'),
  features: () => import('./commands/features'),
  evaluate: () => import('./commands/evaluate'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || !(name in COMMANDS)) {
    const lines = await Promise.all(Object.entries(COMMANDS).map(async ([n, load]) => `  ${n.padEnd(10)} ${(await load()).summary}`));
    (name && name !== '--help' && name !== '-h' ? console.error : console.log)(
      `${name && !(name in COMMANDS) && name !== '--help' && name !== '-h' ? `unknown command: ${name}\n` : ''}usage: csi-workbench <command> [options]\n\ncommands:\n${lines.join('\n')}`,
    );
    return name && name !== '--help' && name !== '-h' ? 2 : 0;
  }
  return (await COMMANDS[name]()).run(rest);
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  err => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
