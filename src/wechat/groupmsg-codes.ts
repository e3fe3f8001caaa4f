/**
 * WeCom errcodes of the mass-send APIs that end a task for good (docs/wecom.md §7.1). WeCom
 * documents these per API only loosely: the values below are **(unverified)** readings of its
 * global errcode list, kept in this one place so they can be corrected without touching the
 * logic. Any other permanent error leaves the task to the office's wait: never a silent wait.
 */
export const GROUPMSG_CODES = {
  /** The sending member is no longer in the directory (left, deleted): 60111 userid not found, 40003 invalid userid. */
  memberLeft: new Set<number>([60111, 40003]),
  /** The task is gone (deleted by the member in the client, or an unknown msgid): 41063 (unverified), 40058 invalid msgid (unverified). */
  taskGone: new Set<number>([41063, 40058]),
  /** add_msg_template: the customer id is unknown or expired: 40096 invalid external_userid, 84061 not an external contact. */
  unknownCustomer: new Set<number>([40096, 84061]),
} as const;

/** WeCom's own reminders of one task: at most this many in any 24 h (remind_groupmsg_send). */
export const PLATFORM_REMINDERS_PER_DAY = 3;
