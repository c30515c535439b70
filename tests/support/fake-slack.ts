/**
 * Fake Slack Web API server for tests — the entry point. The implementation lives in ./fake-slack/:
 * server.ts (HTTP, recording, strictness glue), state.ts and model.ts (workspace state and Slack shapes),
 * methods-*.ts (Web API families), oauth.ts, block-kit.ts, scopes.ts, faults.ts (faults and rate tiers),
 * responses.ts (response URLs); Socket Mode glue is in ./fake-socket-mode.ts.
 * Point the app (or a `WebClient`) at `fake.apiUrl` (`http://127.0.0.1:PORT/api/`).
 */
export {
  validateBlocks,
  validateMessageBody,
  validateResponseAction,
  validateView,
} from './fake-slack/block-kit.ts';
export { grantedScopes } from './fake-slack/scopes.ts';
export { FakeSlack, startFakeSlack } from './fake-slack/server.ts';
export type * from './fake-slack/types.ts';
export { conversationId, timeZoneInfo } from './fake-slack/util.ts';
