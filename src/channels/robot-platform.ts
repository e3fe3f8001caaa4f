export type RobotPlatform = 'wecom' | 'dingtalk';

/**
 * Which platform a group-robot webhook belongs to, from its path: WeCom's
 * `/cgi-bin/webhook/send?key=…`, DingTalk's `/robot/send?access_token=…`.
 */
export function robotPlatformOf(webhookUrl: string): RobotPlatform | null {
  try {
    const path = new URL(webhookUrl).pathname;
    if (path.endsWith('/cgi-bin/webhook/send')) return 'wecom';
    if (path.endsWith('/robot/send')) return 'dingtalk';
  } catch {
    /* not a URL */
  }
  return null;
}
