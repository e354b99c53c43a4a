"""The portal's ASGI app: the pages and the API over one Portal, the security headers, our own
Jinja pages (autoescaped) and stylesheet, and Chinese answers for errors."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.contract import ProgramError
from pipeline.portal import api, pages
from pipeline.portal.security import SecurityHeaders
from pipeline.portal.service import Portal, PortalSettings

HERE = Path(__file__).parent
_STATUS_TEXT = {404: "页面不存在", 405: "不支持的请求方式"}


def create_app(settings: PortalSettings) -> Starlette:
    # the pages are ours, but what they print (units, titles, reasons) is submitted: the sandbox
    # keeps a slip in a page from reaching Python, as for an office's own report template
    environment = SandboxedEnvironment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                       undefined=jinja2.StrictUndefined)
    app = Starlette(
        routes=[*pages.ROUTES, *api.ROUTES, Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: _http_error, ProgramError: _program_error},
    )
    app.state.portal = Portal(settings)
    app.state.templates = Jinja2Templates(env=environment)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    text = _STATUS_TEXT.get(status, "请求无法处理")
    if _wants_json(request):
        return JSONResponse({"error": text}, status)
    return pages.message(request, status, text, "请从首页重新进入。")


async def _program_error(request: Request, exc: Exception) -> Response:
    """A broken program.yaml: said on every page until it is mended (nothing is stored meanwhile)."""
    text = f"方案文件有误，报送暂停：{exc}"
    if _wants_json(request):
        return JSONResponse({"error": text}, 503)
    environment = request.app.state.templates
    return environment.TemplateResponse(request, "message.html", {"programme": "", "session": None,
                                                                   "title": "方案文件有误", "text": text}, 503)
