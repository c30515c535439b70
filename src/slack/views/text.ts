// Thin re-export so builders depend on one place for safe text; the rules live in the pure domain.
export { escapeText, truncate } from '../../domain/text/index.ts';
