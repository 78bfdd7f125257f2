/**
 * What a migration did that an operator should hear about (rows it changed to make a new
 * constraint hold). Kysely calls a migration with the database only, so migrations note here
 * and migrateToLatest hands the notes to its caller's logger.
 */
const notices: string[] = [];

export function noteFromMigration(text: string): void {
  notices.push(text);
}

/** The notes since the last call, oldest first. */
export function takeMigrationNotices(): string[] {
  return notices.splice(0, notices.length);
}
