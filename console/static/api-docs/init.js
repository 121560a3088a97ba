// Swagger UI on Pstral's OpenAPI document; "Authorize" takes the access_token of POST /api/v1/auth/login.
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
