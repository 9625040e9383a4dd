import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { services } from '../common/services.js';
import { requestOrigin } from '../pixels/slide-link-request.js';

/**
 * The origin of links made for a study's people (QuPath links, login links): its domain's when it has one
 * (SetDomainForStudy), else the address the request came to.
 */
export async function studyLinkOrigin(event: APIGatewayProxyEventV2, studyId: number): Promise<string> {
  const domain = await services().domains.domainOfStudy(studyId);
  return domain ? `${domain.scheme}://${domain.host}` : requestOrigin(event);
}
