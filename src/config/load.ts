import { existsSync } from 'node:fs';
import dotenv from 'dotenv';
import { type ConfigResult, parseConfig } from './config.ts';

/** Reads .env (when present, never overriding the real environment) and validates process.env. */
export function loadConfig(envFile = '.env'): ConfigResult {
  if (existsSync(envFile)) dotenv.config({ path: envFile, quiet: true });
  return parseConfig(process.env);
}
