import { RemovalPolicy } from 'aws-cdk-lib'
import { Secret } from 'aws-cdk-lib/aws-secretsmanager'
import type { CfnSecret, ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import { Construct } from 'constructs'

export interface EgressSecretsProps {
  /** Default `urs_creds_for_tea` (TEA's Terraform default). */
  readonly ursAuthCredsSecretName?: string
  /** Default `jwt_secret_for_tea`. */
  readonly jwtKeySecretName?: string
}

/**
 * The two secrets the egress Lambda reads, in TEA's formats, created empty-valued so that no
 * secret material is ever in a template: fill them with `aws secretsmanager put-secret-value`
 * (docs/deploy.md). An existing TEA deployment's secrets can be used as they are instead.
 *  - URS: `{"UrsId": "<EDL client id>", "UrsAuth": "<base64 of client_id:password>"}`
 *  - JWT: `{"rsa_priv_key": "<base64 PEM>", "rsa_pub_key": "<base64 PEM or ssh-rsa>"}`
 * Both are retained on stack deletion: losing the JWT keys logs every user out.
 */
export class EgressSecrets extends Construct {
  readonly urs: ISecret
  readonly jwt: ISecret

  constructor(scope: Construct, id: string, props: EgressSecretsProps = {}) {
    super(scope, id)
    const secret = (sid: string, name: string, keys: string[], description: string): ISecret => {
      const s = new Secret(this, sid, {
        secretName: name,
        description,
        secretObjectValue: {},
        removalPolicy: RemovalPolicy.RETAIN,
      })
      // The template's placeholder names the keys, with empty values (no secret material).
      const cfn = s.node.defaultChild as CfnSecret
      cfn.addPropertyOverride(
        'SecretString',
        JSON.stringify(Object.fromEntries(keys.map((k) => [k, '']))),
      )
      return s
    }
    this.urs = secret(
      'UrsCreds',
      props.ursAuthCredsSecretName ?? 'urs_creds_for_tea',
      ['UrsId', 'UrsAuth'],
      'tea-ts Earthdata Login application credentials (UrsId, UrsAuth = base64 "id:password")',
    )
    this.jwt = secret(
      'JwtKeys',
      props.jwtKeySecretName ?? 'jwt_secret_for_tea',
      ['rsa_priv_key', 'rsa_pub_key'],
      'tea-ts session cookie keys (base64 of the PEM private and public keys)',
    )
  }
}
