"""The intake portal (报送平台): units upload their weekly dynamics through a web page, see at once
what is wrong, and the office sees who has reported. Starlette on uvicorn; never imports defs/."""
