import type { RouteDefinition } from '../route-definition.js';
import { SMALL, WRITE } from '../route-definition.js';

/** Users of studies, student accounts and email (docs/administration.md). */
export const USERS_ROUTES = [
  {
    id: 'AddUser',
    methods: WRITE,
    path: '/Api/AddUser',
    handler: 'functions/api/users/add-user.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageUsers',
    ...SMALL,
    summary:
      'Gives a user exactly these rights in the study (added, or back after RemoveUser). Reimport never removes.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'email', required: true, description: "The user's email address." },
      {
        name: 'rights',
        description: 'Comma-separated, as in .emails: canscore, canedit, cangetresults, viewonly (default canscore).',
      },
    ],
  },
  {
    id: 'RemoveUser',
    methods: WRITE,
    path: '/Api/RemoveUser',
    handler: 'functions/api/users/remove-user.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageUsers',
    ...SMALL,
    summary: 'Takes a user off the study; Reimport brings them back while .emails still names them.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'email', required: true, description: "The user's email address." },
    ],
  },
  {
    id: 'GenerateStudentAccount',
    methods: WRITE,
    path: '/Api/GenerateStudentAccount',
    handler: 'functions/api/users/generate-student-account.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageUsers',
    ...SMALL,
    memoryMb: 512,
    summary:
      'Creates a student account (or gives it a new password) that may score the study: {"success":true,"password":"…"}.',
    params: [
      { name: 'username', required: true, description: 'An email-like id, e.g. acc10@class.' },
      { name: 'email', description: "The student's email address." },
      { name: 'classId', required: true, description: 'The study ID (also `classID` or `studyId`).' },
    ],
  },
  {
    id: 'SendEmail',
    methods: WRITE,
    path: '/Api/SendEmail',
    handler: 'functions/api/users/send-email.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageUsers',
    ...SMALL,
    summary: 'Emails users of the study (SES; npm start: the data folder\'s outbox/): {"success":true,"id":"…"}.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'to', required: true, description: 'Users of the study, separated by , or ;.' },
      { name: 'subject', required: true, description: 'One line.' },
      { name: 'body', required: true, description: 'Plain text.' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
