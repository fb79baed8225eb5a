/** Invalid operator input: the CLI prints it on one line and exits with code 2. */
export class AdminInputError extends Error {}
