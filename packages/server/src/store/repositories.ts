import type { Kysely } from 'kysely';
import { AuthorizationCodeRepository } from './authorization-codes.repository.js';
import { AdministratorRepository, ApiKeyRepository } from './administrators.repository.js';
import { AuditEventRepository } from './audit-events.repository.js';
import { BrandingRepository } from './branding.repository.js';
import { CachedBrandingRepository, CachedClientRepository, CachedTenantRepository } from './cached-repositories.js';
import { ClientAdminQueries, ClientRepository } from './clients.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { ConsentRepository } from './consents.repository.js';
import { LoginFailureRepository } from './login-failures.repository.js';
import { PendingAuthorizationRepository } from './pending-authorizations.repository.js';
import { RefreshTokenRepository } from './refresh-tokens.repository.js';
import { RevokedTokenRepository } from './revoked-tokens.repository.js';
import type { Database } from './schema.js';
import { SessionRepository } from './sessions.repository.js';
import { SigningKeyRepository } from './signing-keys.repository.js';
import { TenantRepository } from './tenants.repository.js';
import { changeFeedOf } from './hot-path.js';
import { UserRepository } from './users.repository.js';

/** Every repository over one database handle. */
export interface Repositories {
  readonly tenants: TenantRepository;
  readonly clients: ClientRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly pendingAuthorizations: PendingAuthorizationRepository;
  readonly consents: ConsentRepository;
  readonly codes: AuthorizationCodeRepository;
  readonly revokedTokens: RevokedTokenRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly loginFailures: LoginFailureRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly clientAdmin: ClientAdminQueries;
  readonly auditEvents: AuditEventRepository;
  readonly administrators: AdministratorRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly settings: SettingsRepository;
  readonly branding: BrandingRepository;
}

/** Tenants, clients and branding are served from memory, kept current by the database's change feed. */
export function createRepositories(db: Kysely<Database>): Repositories {
  // Inside a transaction, reads must see its own uncommitted changes: no cache there.
  const changes = db.isTransaction ? undefined : changeFeedOf(db);
  return {
    tenants: changes ? new CachedTenantRepository(db, changes) : new TenantRepository(db),
    clients: changes ? new CachedClientRepository(db, changes) : new ClientRepository(db),
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    pendingAuthorizations: new PendingAuthorizationRepository(db),
    consents: new ConsentRepository(db),
    codes: new AuthorizationCodeRepository(db),
    revokedTokens: new RevokedTokenRepository(db),
    signingKeys: new SigningKeyRepository(db),
    loginFailures: new LoginFailureRepository(db),
    refreshTokens: new RefreshTokenRepository(db),
    clientAdmin: new ClientAdminQueries(db),
    auditEvents: new AuditEventRepository(db),
    administrators: new AdministratorRepository(db),
    apiKeys: new ApiKeyRepository(db),
    settings: new SettingsRepository(db),
    branding: changes ? new CachedBrandingRepository(db, changes) : new BrandingRepository(db),
  };
}
