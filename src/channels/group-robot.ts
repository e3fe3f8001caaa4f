import { Clock } from '../clock';
import { DingtalkClient } from './dingtalk/dingtalk.client';
import { robotPlatformOf } from './robot-platform';
import { WecomClient } from './wecom/wecom.client';

/**
 * Sends to the configured group robot (`SUMMARY_ROBOT_WEBHOOK`), WeCom's or DingTalk's (signed
 * with `SUMMARY_ROBOT_SECRET` when it uses 加签). A payload rendered for both platforms
 * (`{wecom, dingtalk}`) is cut to the robot's own. Robots need no app credentials: the URL is
 * the credential, so the clients get an empty app configuration.
 */
export function groupRobotSender(robot: { url: string; secret: string | null }, clock: Clock) {
  const platform = robotPlatformOf(robot.url);
  const origin = new URL(robot.url).origin;
  const wecom = new WecomClient({ corpId: '', corpSecret: '', agentId: 0, apiBase: origin }, { clock });
  const dingtalk = new DingtalkClient({ appKey: '', appSecret: '', agentId: 0, apiBase: origin, oapiBase: origin }, { clock });
  return async (url: string, bodies: { wecom: Record<string, unknown>; dingtalk: Record<string, unknown> }): Promise<void> => {
    const body = platform === 'dingtalk' ? bodies.dingtalk : bodies.wecom;
    if (platform === 'dingtalk') await dingtalk.robotSend(url, robot.secret, body);
    else await wecom.robotSend(url, body);
  };
}
