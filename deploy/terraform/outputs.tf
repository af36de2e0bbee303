# Output names follow TEA's Terraform module.

output "rest_api" {
  description = "API Gateway ids: {id, root_resource_id} (root_resource_id is empty for an HTTP API)."
  value = {
    id               = aws_cloudformation_stack.tea_ts.outputs["RestApiId"]
    root_resource_id = aws_cloudformation_stack.tea_ts.outputs["RestApiRootResourceId"]
  }
}

output "api_endpoint" {
  description = "Public base URL: https://<domain_name>/ or the API Gateway URL."
  value       = aws_cloudformation_stack.tea_ts.outputs["ExternalEndpoint"]
}

output "internal_api_endpoint" {
  description = "API Gateway base URL."
  value       = aws_cloudformation_stack.tea_ts.outputs["ApiEndpoint"]
}

output "urs_redirect_uri" {
  description = "Redirect URI to register with the Earthdata Login application."
  value       = aws_cloudformation_stack.tea_ts.outputs["URSredirectURI"]
}

output "egress_log_group" {
  description = "API Gateway access log group (null unless log_api_gateway_to_cloudwatch)."
  value       = var.log_api_gateway_to_cloudwatch ? aws_cloudformation_stack.tea_ts.outputs["ApiGatewayLogGroupEgress"] : null
}

output "egress_lambda_name" {
  description = "Name of the egress Lambda."
  value       = aws_cloudformation_stack.tea_ts.outputs["EgressLambdaName"]
}
