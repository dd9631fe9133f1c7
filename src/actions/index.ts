import { auth } from './auth';
import { jobs } from './jobs';
import { orgs } from './orgs';
import { applications } from './applications';
import { alerts } from './alerts';
import { offers } from './offers';
import { messages } from './messages';

/** Gathers the per-domain action files; nothing else lives here. */
export const server = { auth, orgs, jobs, applications, alerts, offers, messages };
