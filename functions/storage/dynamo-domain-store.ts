import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Domain, DomainStore } from '../domains/domain-store.js';

/**
 * Domains in the studies table:
 *
 *   pk                  sk                    item
 *   DOMAIN              <name, lower case>    the domain
 *   STUDY#<id>          DOMAIN                { name }: the domain the study is presented under
 */
export class DynamoDomainStore implements DomainStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async upsert(domain: Domain): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: 'DOMAIN', sk: domain.name.toLowerCase(), ...domain },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes === undefined;
  }

  async get(name: string): Promise<Domain | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: 'DOMAIN', sk: name.toLowerCase() }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...domain } = Item;
    return domain as Domain;
  }

  async domainOfStudy(studyId: number): Promise<Domain | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `STUDY#${studyId}`, sk: 'DOMAIN' }, ConsistentRead: true }),
    );
    return Item ? this.get(Item.name as string) : undefined;
  }

  async setDomainOfStudy(studyId: number, name: string | undefined): Promise<void> {
    const Key = { pk: `STUDY#${studyId}`, sk: 'DOMAIN' };
    if (name === undefined) await this.db.send(new DeleteCommand({ TableName: this.table, Key }));
    else await this.db.send(new PutCommand({ TableName: this.table, Item: { ...Key, name } }));
  }
}
