/**
 * DingTalk's two inbound protocols, in one import for the HTTP routes:
 * - event-subscription HTTP pushes (`POST /callbacks/dingtalk`): `DingtalkEventCodec`;
 * - interactive-card action callbacks (`POST /callbacks/dingtalk/card`): `verifyCardCallback`,
 *   `parseCardCallback`, `cardCallbackReply`.
 * Both refuse with `CallbackRejected` (401/403). The builders (`encryptEvent`,
 * `signCardCallback`) make genuine inbound requests for the fake DingTalk and the tests.
 */
export { CallbackRejected } from './dingtalk-callback-rejected';
export type { DingtalkCallbackRejectReason } from './dingtalk-callback-rejected';
export { DingtalkEventCodec } from './dingtalk-event-codec';
export type { DecodedEvent, EventSuccessReply } from './dingtalk-event-codec';
export { cardCallbackReply, parseCardCallback, verifyCardCallback } from './dingtalk-card-callback';
export type { CardActionEvent, CardCallbackReply } from './dingtalk-card-callback';
export { encryptEvent, randomAlnum, signCardCallback } from './dingtalk-callback-builder';
export type { DingtalkEventKeys, EncryptedEvent } from './dingtalk-callback-builder';
export { CALLBACK_MAX_SKEW_MS } from './dingtalk-callback-checks';
