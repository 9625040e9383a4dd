import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  eventString,
  MAX_EVENTS_PER_SESSION,
  type ReviewSession,
  type ReviewSessionStore,
  type SessionEvent,
} from '../web/review-sessions.js';
import { allocateIds } from './dynamo-writes.js';

/**
 * Reviewing sessions of the viewer (Sessions, SessionEvents) in the studies table:
 *
 *   pk                    sk                  item
 *   REVIEWSESSION#<study> <id, 12 digits>     { id, studyId, imageId, email, createdOn, lastOn, closedOn?, events[] }
 *   COUNTER               REVIEWSESSION       { last }: the last session id given out
 *
 * Events are kept in the session's own item as strings (about 50 bytes each), at most MAX_EVENTS_PER_SESSION,
 * so an item stays far below DynamoDB's 400 KB.
 */
export class DynamoReviewSessions implements ReviewSessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(session: Omit<ReviewSession, 'id' | 'lastOn' | 'eventCount'>): Promise<ReviewSession> {
    const [id] = await allocateIds(this.db, this.table, { pk: 'COUNTER', sk: 'REVIEWSESSION' }, 1);
    const created: ReviewSession = { ...session, id: id as number, lastOn: session.createdOn, eventCount: 0 };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(created.studyId, created.id), ...created, events: [] },
      }),
    );
    return created;
  }

  async get(studyId: number, id: number): Promise<ReviewSession | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: key(studyId, id),
        ConsistentRead: true,
        ProjectionExpression: FIELDS,
        ExpressionAttributeNames: NAMES,
      }),
    );
    return Item ? toSession(Item) : undefined;
  }

  async record(
    studyId: number,
    id: number,
    events: readonly SessionEvent[],
    at: string,
    closed: boolean,
  ): Promise<boolean> {
    const room = MAX_EVENTS_PER_SESSION - events.length;
    const strings = events.map(eventString);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(studyId, id),
          UpdateExpression: `SET lastOn = :at, eventCount = eventCount + :n, events = list_append(events, :events)${closed ? ', closedOn = :at' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND eventCount <= :room',
          ExpressionAttributeValues: { ':at': at, ':n': strings.length, ':events': strings, ':room': room },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Full: the session still ends and keeps its length, without more events.
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: key(studyId, id),
            UpdateExpression: `SET lastOn = :at${closed ? ', closedOn = :at' : ''}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        )
        .catch((e) => {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
        });
      return false;
    }
  }

  async list(studyId: number): Promise<ReviewSession[]> {
    const sessions: ReviewSession[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition(studyId) },
          ProjectionExpression: FIELDS,
          ExpressionAttributeNames: NAMES,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) sessions.push(toSession(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return sessions;
  }

  async events(studyId: number, id: number): Promise<string[] | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: key(studyId, id),
        ConsistentRead: true,
        ProjectionExpression: 'events',
      }),
    );
    return Item ? ((Item.events as string[] | undefined) ?? []) : undefined;
  }
}

const FIELD_NAMES = ['id', 'studyId', 'imageId', 'email', 'createdOn', 'lastOn', 'closedOn', 'eventCount'];
const FIELDS = FIELD_NAMES.map((_, i) => `#f${i}`).join(', ');
const NAMES = Object.fromEntries(FIELD_NAMES.map((name, i) => [`#f${i}`, name]));

function partition(studyId: number): string {
  return `REVIEWSESSION#${studyId}`;
}

function key(studyId: number, id: number) {
  return { pk: partition(studyId), sk: String(id).padStart(12, '0') };
}

function toSession(item: Record<string, unknown>): ReviewSession {
  return {
    id: item.id as number,
    studyId: item.studyId as number,
    imageId: item.imageId as number,
    email: item.email as string,
    createdOn: item.createdOn as string,
    lastOn: item.lastOn as string,
    ...(item.closedOn ? { closedOn: item.closedOn as string } : {}),
    eventCount: (item.eventCount as number | undefined) ?? 0,
  };
}
