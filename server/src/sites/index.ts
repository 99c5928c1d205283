// Sites: a shop's name, its allowed origins, its public write key and its hashed secret key.
export { SiteDirectory } from './directory.ts';
export { normalizeOrigin } from './keys.ts';
export {
  type CreatedSite,
  createSite,
  findSiteById,
  findSiteBySecretKey,
  findSiteByWriteKey,
  listSites,
  rotateSecretKey,
  rotateWriteKey,
  type Site,
  updateSite,
  updateSiteSettings,
} from './queries.ts';
export { publicSiteRoutes } from './routes.ts';
export { readSettings, type SiteSettings, siteSettingsSchema } from './settings.ts';
export { siteStaffRoutes } from './staff-routes.ts';
