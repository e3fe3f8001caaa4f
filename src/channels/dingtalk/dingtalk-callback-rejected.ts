import { DomainError } from '../../errors';

/** Why a DingTalk callback was refused; for logs only — the answer to the caller stays generic. */
export type DingtalkCallbackRejectReason =
  | 'malformed'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'undecryptable'
  | 'wrong_owner';

/**
 * A DingTalk callback (event push or card action) we refuse to act on. 401 when the caller
 * did not prove it knows our secrets (bad or missing signature, stale timestamp, garbage);
 * 403 when it did, but the payload is addressed to another app (owner key ≠ our AppKey).
 * The message is the same for every reason so the answer teaches a forger nothing.
 */
export class CallbackRejected extends DomainError {
  constructor(readonly reason: DingtalkCallbackRejectReason) {
    super('callback_rejected', 'callback rejected', reason === 'wrong_owner' ? 403 : 401);
    this.name = 'CallbackRejected';
  }
}
