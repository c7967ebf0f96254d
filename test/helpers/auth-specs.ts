// The auth service's user pool, client and profiles table as the dev stage's packaged template
// has them (resources/auth-user-pool.yml, resources/auth-profiles-table.yml; LambdaConfig from
// osls), for tests that start the local emulators without packaging.
import type { TableSpec, UserPoolSpec } from '../../local/model.js';

export const postConfirmation = 'auth-service-dev-postConfirmation';

export const userPoolSpec: UserPoolSpec = {
  properties: {
    UserPoolName: 'auth-service-dev-users',
    LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': ['PostConfirmationLambdaFunction', 'Arn'] } },
    DeletionProtection: 'INACTIVE',
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    Policies: {
      PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3 },
    },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
  },
  triggers: { PostConfirmation: postConfirmation },
  client: {
    properties: {
      ClientName: 'auth-service-dev-web',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
    },
  },
};

export const profilesTable: TableSpec = {
  name: 'auth-service-dev-profiles',
  properties: {
    TableName: 'auth-service-dev-profiles',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
    DeletionProtectionEnabled: false,
  },
};
