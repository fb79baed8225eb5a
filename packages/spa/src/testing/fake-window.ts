// A stand-in for the parts of `window` used by loginWithPopup() and checkSession(): popups and
// hidden iframes whose navigation to the authorization URL is played against the fake server,
// and message events between windows. Test-only.
import type { ChildWindowLike, IframeLike, WindowLike } from '../types.js';
import type { FakeAuthorizationServer } from './fake-authorization-server.js';

type MessageListener = (event: { origin: string; source: unknown; data: unknown }) => void;

/** How the child window comes back with the callback. */
export type ChildBehaviour =
  /** Its location becomes the callback URL, readable by the opener (same origin). */
  | 'location'
  /** Its callback page posts the URL (relayCallback) and its location stays unreadable. */
  | 'message'
  /** The person closes the popup at Gatehouse. */
  | 'closed'
  /** Never comes back (a Gatehouse that does not answer). */
  | 'hang';

export interface FakeChild extends ChildWindowLike {
  /** The URLs assigned to its location, in order. */
  readonly navigations: string[];
}

export interface FakeWindow extends WindowLike {
  readonly origin: string;
  /** Calls to open(), in order. */
  readonly opened: Array<{ url: string; target: string; features: string }>;
  /** Iframes added to the document, in order, and whether each is still there. */
  readonly iframes: Array<{ src: string; removed: boolean; attributes: Record<string, string> }>;
  readonly popups: FakeChild[];
  /** What the next popup or iframe does. Default 'location'. */
  behaviour: ChildBehaviour;
  /** open() returns null, as under a popup blocker. */
  blockPopups: boolean;
  /** Delivers a message event to the listeners, as another window's postMessage would. */
  dispatchMessage(event: { origin: string; source: unknown; data: unknown }): void;
  /** Number of message listeners still registered. */
  listenerCount(): number;
}

export function fakeWindow(server: FakeAuthorizationServer, origin = 'https://app.example.test'): FakeWindow {
  const listeners = new Set<MessageListener>();
  const opened: FakeWindow['opened'] = [];
  const iframes: FakeWindow['iframes'] = [];
  const popups: FakeChild[] = [];

  function child(): FakeChild {
    const behaviour = win.behaviour;
    const navigations: string[] = [];
    let href = 'about:blank';
    let readable = true;
    const self: FakeChild = {
      navigations,
      closed: false,
      close: () => void ((self as { closed: boolean }).closed = true),
      location: {
        get href() {
          if (!readable)
            throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
          return href;
        },
        set href(url: string) {
          navigations.push(url);
          readable = false;
          if (behaviour === 'hang') return;
          if (behaviour === 'closed') {
            (self as { closed: boolean }).closed = true;
            return;
          }
          void server.authorize(url).then((callback) => {
            if (behaviour === 'location') {
              href = callback;
              readable = true;
            } else {
              win.dispatchMessage({
                origin: new URL(callback).origin,
                source: self,
                data: { type: 'gatehouse:callback', url: callback },
              });
            }
          });
        },
      },
    };
    return self;
  }

  const win: FakeWindow = {
    origin,
    location: { origin },
    opened,
    iframes,
    popups,
    behaviour: 'location',
    blockPopups: false,
    open(url, target, features) {
      opened.push({ url, target, features });
      if (win.blockPopups) return null;
      const popup = child();
      popups.push(popup);
      return popup;
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
    dispatchMessage(event) {
      for (const listener of [...listeners]) listener(event);
    },
    listenerCount: () => listeners.size,
    document: {
      createElement(): IframeLike {
        const record = { src: '', removed: false, attributes: {} as Record<string, string> };
        const content = child();
        return {
          get src() {
            return record.src;
          },
          set src(url: string) {
            record.src = url;
            content.location.href = url;
          },
          contentWindow: content,
          setAttribute: (name, value) => void (record.attributes[name] = value),
          remove: () => void (record.removed = true),
          // Registered here so the test sees the iframe once it is in the document.
          ...{ record },
        } as IframeLike;
      },
      body: {
        appendChild(node) {
          iframes.push((node as unknown as { record: FakeWindow['iframes'][number] }).record);
          return node;
        },
      },
    },
  };
  return win;
}
