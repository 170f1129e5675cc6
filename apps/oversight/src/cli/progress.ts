import cliProgress from 'cli-progress';

/** A progress bar with ETA on a terminal; plain lines (every 10 %) when output is not a TTY. */
export function progress(label: string, total: number) {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0);
    return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
  }
  let lastDecile = -1;
  const started = Date.now();
  return {
    update: (n: number) => {
      const decile = total > 0 ? Math.floor((n / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        const elapsed = (Date.now() - started) / 1000;
        const eta = n > 0 && total > n ? ((elapsed / n) * (total - n)).toFixed(0) : '0';
        process.stderr.write(`${label}: ${n}/${total} (${Math.min(100, decile * 10)}%), ETA ${eta} s\n`);
      }
    },
    stop: () => undefined,
  };
}

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'DATABASE_URL is required (the embedded default prints it at start: postgres://platform_service:$(cat .data/platform_service.password)@127.0.0.1:54329/platform)',
    );
    process.exit(2);
  }
  return url;
}

/** The verifying CLIs read with the auditors' read-only role where one is configured. */
export function auditDatabaseUrl(): string {
  return process.env.DATABASE_AUDITOR_URL || databaseUrl();
}

export function schemaOf(department: string): string {
  const prefix = process.env.DATABASE_SCHEMA_PREFIX;
  const base = department.replace(/-/g, '_');
  return prefix ? `${prefix}_${base}` : base;
}
