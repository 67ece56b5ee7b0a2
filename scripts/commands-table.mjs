// Renders the README's Commands table from the command-line definitions themselves (src/cli/commands-*.ts),
// so every command, argument and flag the CLI takes is listed and the table cannot fall behind.

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `[profile...]`, `<dir>`: a command's arguments as commander shows them. */
const argumentsOf = (command) =>
  command.registeredArguments.map((a) =>
    a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`,
  );

/** Every command and subcommand, with its full name. */
function commands(cli, prefix = 'keypolicy') {
  return cli.commands.flatMap((command) => {
    const name = `${prefix} ${command.name()}`;
    return [{ name, command }, ...commands(command, name)];
  });
}

export function commandsTable(cli) {
  const rows = commands(cli).map(({ name, command }) => {
    const usage = [name, ...argumentsOf(command)].join(' ');
    const options = command.options
      .filter((o) => !o.hidden)
      .map((o) => `\`${o.flags}\`${o.argChoices ? ` (${o.argChoices.join(', ')})` : ''}`)
      .join(', ');
    return `| \`${cell(usage)}\` | ${cell(command.description())} | ${cell(options)} |`;
  });
  return ['| command | what it does | options |', '| --- | --- | --- |', ...rows].join('\n');
}
