import { DomainError } from '../../errors';

/** Why a callback was refused; for logs only — the answer to the caller stays generic. */
export type CallbackRejectReason =
  | 'malformed'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'undecryptable'
  | 'wrong_receiver';

/**
 * A WeCom callback we refuse to act on: bad signature, stale timestamp, wrong receiveid,
 * or anything that does not decrypt and parse. Always 401, never acted on; the message is
 * the same for every reason so the answer teaches a forger nothing.
 */
export class CallbackRejected extends DomainError {
  constructor(readonly reason: CallbackRejectReason) {
    super('callback_rejected', 'callback rejected', 401);
    this.name = 'CallbackRejected';
  }
}
