/*
 * The numbers of docs/wecom.md §2 and docs/dingtalk.md §3–§4, in one place: renderers stay inside
 * them (cutting text where a platform would), `limits.ts` checks rendered messages
 * against them. "Soft" limits are WeCom's display guidance (≈ N characters): the platform
 * cuts or wraps beyond them, so exceeding one is a warning, not an error.
 */

/** WeCom app messages, template cards and group robot (docs/wecom.md §2, §6). */
export const WECOM = Object.freeze({
  textMaxBytes: 2048,
  markdownMaxBytes: 2048,
  robotMarkdownMaxBytes: 4096,
  robotTextMaxBytes: 2048,
  taskIdMaxBytes: 128,
  keyMaxBytes: 1024,
  optionIdMaxBytes: 128,
  buttons: { min: 1, max: 6 },
  voteOptions: { min: 1, max: 20 },
  selects: { min: 1, max: 3 },
  selectOptions: { min: 1, max: 10 },
  horizontalRowsMax: 6,
  jumpListMax: 3,
  actionMenuItems: { min: 1, max: 3 },
  /** Display guidance in characters (soft). */
  soft: Object.freeze({
    sourceDesc: 20,
    mainTitle: 36,
    voteMainTitle: 16,
    mainTitleDesc: 44,
    subTitleText: 160,
    keyname: 5,
    buttonText: 10,
    voteOptionText: 17,
  }),
});

/** DingTalk work notices, card instances and custom robot (docs/dingtalk.md §3–§4, §6). */
export const DINGTALK = Object.freeze({
  /** The whole `msg` of `asyncsend_v2`, as JSON bytes. */
  noticeMsgMaxBytes: 2048,
  actionCardSingleTitleMaxChars: 20,
  actionCardSingleUrlMaxChars: 500,
  outTrackIdMaxChars: 64,
  paramKeyMaxBytes: 100,
  paramValueMaxBytes: 1024,
  /** Reported, unverified ("message too long, exceed 20000 bytes"), docs/dingtalk.md §6.2. */
  robotBodyMaxBytes: 20000,
});

/**
 * Our own budget for robot summaries on both platforms (policy): WeCom's robot markdown
 * limit, applied to DingTalk's robot body too, whose own limit is unverified — so both
 * groups get the same summary.
 */
export const ROBOT_SUMMARY_MAX_BYTES = 4096;
