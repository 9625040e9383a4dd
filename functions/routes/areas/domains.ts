import { READ, type RouteDefinition, SMALL, WRITE } from '../route-definition.js';

/** Domains: the web addresses studies are presented under (docs/studies.md, "Domains"). */
export const DOMAINS_ROUTES = [
  {
    id: 'UpsertDomain',
    methods: WRITE,
    path: '/Api/UpsertDomain',
    handler: 'functions/api/domains/upsert-domain.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary:
      'Makes a domain, or changes its host and description: {"success":true,"created":bool}. Needs a token for all studies.',
    params: [
      { name: 'name', required: true, description: 'The domain name studies refer to (compared without case).' },
      {
        name: 'host',
        required: true,
        description: 'Its host name, with a port if needed, or an origin (https://scoring.example.org).',
      },
      { name: 'description', description: 'Free text.' },
    ],
  },
  {
    id: 'SetDomainForStudy',
    methods: WRITE,
    path: '/Api/SetDomainForStudy',
    handler: 'functions/api/domains/set-domain-for-study.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary:
      "Presents a study under a domain: links made for the study's people (QuPath links, login links) use its host. An empty domainName removes it.",
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'domainName', required: true, description: 'A domain made by UpsertDomain, or "" for none.' },
    ],
  },
  {
    id: 'GetDomainForStudy',
    methods: READ,
    path: '/Api/GetDomainForStudy',
    handler: 'functions/api/domains/get-domain-for-study.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetConfig',
    ...SMALL,
    summary: 'The domain of a study: {"success":true,"domain":{name,host,url,description}}, without domain when none.',
    params: [{ name: 'studyId', required: true, description: 'Study ID.' }],
  },
] as const satisfies readonly RouteDefinition[];
