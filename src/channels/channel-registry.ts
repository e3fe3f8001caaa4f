import { Channel, ChannelName } from './channel';

/**
 * The channels this process can send through, chosen from configuration at start. An office's
 * channel that is not configured is a permanent failure for its messages, named as such.
 */
export class ChannelRegistry {
  private readonly channels = new Map<ChannelName, Channel>();

  constructor(channels: Channel[]) {
    for (const channel of channels) this.channels.set(channel.name, channel);
  }

  get(name: string): Channel | null {
    switch (name) {
      case 'wecom':
      case 'dingtalk':
        return this.channels.get(name) ?? null;
      default:
        return null;
    }
  }

  names(): ChannelName[] {
    return [...this.channels.keys()];
  }
}
