import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, PopupError, TimeoutError } from './errors.js';
import { fakeWindow, type FakeWindow } from './testing/fake-window.js';
import { startHarness, type Harness } from './testing/harness.js';

let h: Harness;
let win: FakeWindow;
beforeEach(async () => {
  h = await startHarness();
  win = fakeWindow(h.server);
});
afterEach(() => h.server.close());

const newClient = () => h.newClient({ window: win });

describe('loginWithPopup', () => {
  it('opens a popup at once, sends it to Gatehouse, redeems the code it comes back with, and closes it', async () => {
    const client = await newClient();
    const signedIn: string[] = [];
    client.on('signedIn', ({ how }) => signedIn.push(how));
    const login = client.loginWithPopup({ loginHint: 'ada' });
    // Synchronously, inside the click's user activation.
    expect(win.opened).toEqual([{ url: '', target: 'gatehouse-sign-in', features: 'popup,width=500,height=650' }]);
    await login;

    const [popup] = win.popups;
    expect(popup!.navigations).toHaveLength(1);
    expect(new URL(popup!.navigations[0]!).searchParams.get('login_hint')).toBe('ada');
    expect(popup!.closed).toBe(true);
    expect(signedIn).toEqual(['popup']);
    expect(await client.isAuthenticated()).toBe(true);
    expect(h.location.assigned).toEqual([]); // the page itself never moved
    expect(win.listenerCount()).toBe(0);
  });

  it('takes the callback from the popup’s message as well (relayCallback)', async () => {
    win.behaviour = 'message';
    const client = await newClient();
    await client.loginWithPopup();
    expect(await client.isAuthenticated()).toBe(true);
  });

  it('uses a popup the application opened itself', async () => {
    const client = await newClient();
    const own = win.open('', 'mine', 'popup');
    await client.loginWithPopup({ popup: own! });
    expect(win.opened).toHaveLength(1);
    expect(own!.closed).toBe(true);
  });

  it('rejects with popup_blocked when the browser refuses the window', async () => {
    win.blockPopups = true;
    const client = await newClient();
    const error = await client.loginWithPopup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PopupError);
    expect(error).toMatchObject({ code: 'popup_blocked' });
    expect(h.server.authorizationRequests).toEqual([]);
  });

  it('rejects with popup_closed when the person closes the window', async () => {
    win.behaviour = 'closed';
    const client = await newClient();
    await expect(client.loginWithPopup()).rejects.toMatchObject({ name: 'PopupError', code: 'popup_closed' });
    expect(win.listenerCount()).toBe(0);
  });

  it('rejects with timeout after timeoutSeconds, closing the window', async () => {
    win.behaviour = 'hang';
    const client = await newClient();
    await expect(client.loginWithPopup({ timeoutSeconds: 0.2 })).rejects.toBeInstanceOf(TimeoutError);
    expect(win.popups[0]!.closed).toBe(true);
  });

  it('passes on the sign-in’s own errors, e.g. access_denied', async () => {
    h.server.denyNextAuthorization();
    const client = await newClient();
    await expect(client.loginWithPopup()).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await client.isAuthenticated()).toBe(false);
  });
});
