/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_GATEHOUSE_ISSUER: string;
  readonly VITE_CLIENT_ID: string;
  readonly VITE_API_URL: string;
}
