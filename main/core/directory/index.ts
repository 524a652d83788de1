export { Directory } from './directory.js';
export { DirectoryError, type DirectoryFailure } from './directory-error.js';
export { CARDDAV_PASSWORD_KEY, CardDavSync, type CardDavSyncOptions } from './carddav-sync.js';
export { LDAP_PASSWORD_KEY, LdapDirectory, checkFilterTemplate, filterFor, type LdapSearchResult } from './ldap-directory.js';
export { DirectoryStore } from './directory-store.js';
export { contactFromVCard } from './vcard.js';
