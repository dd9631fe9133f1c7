import { auth } from './auth';
import { jobs } from './jobs';
import { orgs } from './orgs';
import { applications } from './applications';
import { alerts } from './alerts';
import { scorecards } from './scorecards';
import { interviews } from './interviews';
import { account } from './account';
import { saved } from './saved';
import { offers } from './offers';
import { messages } from './messages';

/** Gathers the per-domain action files; nothing else lives here. */
export const server = { auth, orgs, jobs, applications, alerts, scorecards, interviews, account, saved, offers, messages };
