/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Gatehouse's public URL. Default http://localhost:8080. */
  readonly VITE_GATEHOUSE_URL?: string;
  /** The tenant whose agent (-U) and customer (-C) realms the demo signs in to. Default TMPRODB88619984. */
  readonly VITE_TENANT?: string;
  /** The SPA client's id. Default the demo client b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f. */
  readonly VITE_CLIENT_ID?: string;
  /** The demo API's base URL. Default http://localhost:8081. */
  readonly VITE_API_URL?: string;
  /** Where the SDK keeps the tokens: memory (default), session, indexeddb (shared by the tabs) or local (one tab at a time). */
  readonly VITE_TOKEN_STORE?: string;
  /** Seconds before expiry at which the access token is refreshed. Default 30 (the SDK's). */
  readonly VITE_REFRESH_LEEWAY_SECONDS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
