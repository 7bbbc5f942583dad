// The hidden argument alone, so a front end can recognise an elevated copy without loading the
// context's schema (the CLI's start-up loads no zod).

/** Leading hidden argument of an elevated copy: `--nbg-elevated <context>`. */
export const ELEVATED_CONTEXT_FLAG = '--nbg-elevated';
