import { useState } from 'preact/hooks';
import { signIn, signOut } from './auth.js';
import { describeError } from './components/status.js';
import { useTitle } from './views/title.js';

interface SignInPageProps {
  /** Why the person is here again (a failed callback, an ended session), if anything. */
  readonly problem?: string;
  /** The route to come back to after signing in. */
  readonly returnTo: string;
  /** Signed in, but the account is no administrator: offer to sign out instead. */
  readonly forbidden?: boolean;
}

/** The signed-out page: one button that starts the sign-in at the GATEHOUSE-U realm. */
export function SignInPage({ problem, returnTo, forbidden }: SignInPageProps) {
  useTitle('Sign in');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" class="sign-in">
      <h1>Gatehouse console</h1>
      <p>Manage tenants, client applications, users and keys of this Gatehouse.</p>
      <div role="alert" class={problem || error ? 'notice error' : 'visually-empty'}>
        {error ?? problem ?? ''}
      </div>
      {forbidden ? (
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await signIn(returnTo);
            } catch (caught) {
              setError(describeError(caught));
              setBusy(false);
            }
          }}
        >
          Sign in
        </button>
      )}
    </main>
  );
}
