import { createGatehouseClient, LoginRequiredError } from '@gatehouse/spa';

// The realm's issuer and the client ID come from `gatehouse client create`; here from .env files.
const auth = await createGatehouseClient({
  issuer: import.meta.env.VITE_GATEHOUSE_ISSUER,
  clientId: import.meta.env.VITE_CLIENT_ID,
  redirectUri: `${window.location.origin}/callback`,
  scope: 'openid core.aiservices.read',
});

const status = document.querySelector<HTMLParagraphElement>('#status')!;
const output = document.querySelector<HTMLPreElement>('#output')!;
const signInButton = document.querySelector<HTMLButtonElement>('#sign-in')!;
const callApiButton = document.querySelector<HTMLButtonElement>('#call-api')!;
const signOutButton = document.querySelector<HTMLButtonElement>('#sign-out')!;

signInButton.onclick = () => auth.loginWithRedirect();

callApiButton.onclick = async () => {
  try {
    // Ask right before each call: the cached token, or a refreshed one shortly before it expires.
    const token = await auth.getAccessToken();
    const response = await fetch(`${import.meta.env.VITE_API_URL}/v1/hello`, {
      headers: { authorization: `Bearer ${token}` },
    });
    output.textContent = `${response.status} ${await response.text()}`;
  } catch (error) {
    if (error instanceof LoginRequiredError) return render();
    output.textContent = String(error);
  }
};

signOutButton.onclick = () => auth.logout({ returnTo: `${window.location.origin}/` });

async function render(): Promise<void> {
  const signedIn = await auth.isAuthenticated();
  status.textContent = signedIn ? `Signed in as ${(await auth.getClaims())?.sub}` : 'Signed out';
  signInButton.hidden = signedIn;
  callApiButton.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
}

// Back from Gatehouse: redeem the code (state and issuer are checked), then clean the address bar.
if (window.location.pathname === '/callback') {
  try {
    await auth.handleRedirectCallback(window.location.href);
  } catch (error) {
    output.textContent = `Sign-in failed: ${String(error)}`;
  }
  window.history.replaceState(null, '', '/');
}
await render();
