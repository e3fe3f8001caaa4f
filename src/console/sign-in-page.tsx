import type { VNode } from 'preact';
import { consolePage } from './console-page';

export interface SignInOptions {
  wecom: boolean;
  dingtalk: boolean;
  /** Sandbox mode: the demo staff to sign in as with one tap. */
  people: { userId: string; name: string; officeName: string; roles: string }[] | null;
  error?: string;
}

/** What the sign-in page says for each refusal (`?error=`); nothing else is ever shown. */
export const SIGN_IN_ERRORS: Record<string, string> = {
  state: '登录已失效（页面过期或来自别处），请重新登录。',
  code: '授权码无效或已使用，请重新登录。',
  unknown: '您的账号不在任何管理处的员工名单中，请联系管理员。',
  token: '管理口令不正确。',
  platform: '暂时无法连接企业微信或钉钉，请稍后再试。',
};

/** `/console/sign-in`: the ways in this configuration allows. */
export function signInPage(options: SignInOptions): string {
  return consolePage(
    '登录',
    <div class="signin">
      <h1>回访控制台</h1>
      {options.error ? (
        <p class="alert" role="alert">
          {SIGN_IN_ERRORS[options.error] ?? SIGN_IN_ERRORS.code}
        </p>
      ) : null}
      <section>
        {options.wecom ? (
          <a class="button" href="/console/sign-in/wecom">
            用企业微信登录
          </a>
        ) : null}
        {options.dingtalk ? (
          <a class="button" href="/console/sign-in/dingtalk">
            用钉钉登录
          </a>
        ) : null}
        {options.people ? <People people={options.people} /> : null}
      </section>
      <section>
        <h2>管理员</h2>
        <form method="post" action="/console/sign-in/admin">
          <input type="password" name="token" autocomplete="current-password" aria-label="管理口令 (ADMIN_TOKEN)" placeholder="管理口令 (ADMIN_TOKEN)" />
          <button type="submit">以管理员登录</button>
        </form>
      </section>
    </div>,
  );
}

function People({ people }: { people: NonNullable<SignInOptions['people']> }): VNode {
  return (
    <div class="people" data-section="sandbox-people">
      <h2>演示模式：以谁的身份登录</h2>
      {people.map((p) => (
        <form method="post" action="/console/sign-in/as">
          <input type="hidden" name="userId" value={p.userId} />
          <button type="submit">
            {p.name}（{p.officeName} · {p.roles}）
          </button>
        </form>
      ))}
    </div>
  );
}
