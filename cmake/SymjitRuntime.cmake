# libsymjit_rt: what exported functions (include/symjit/aot.h, docs/aot.md,
# decision 0036) need at run time, with no LLVM: the IR core (parser,
# verifier: the image is text IR), lib/runtime (tensors, thread pool, BLAS,
# allocation) and the executor of lib/api. Static and shared; the shared
# one exports only the runtime's API (symjit_rt.map). Built from the same
# sources as libsymjit (the executor files compile a second time, for
# this library's object set).
set(SJ_RT_API_FILES api plan shapes exec scan_exec conv_exec random_exec precheck bound_state profile debug_guard aot_rt aot_rt_hooks)
set(SJ_RT_LIB_SRC ${SJ_RT_SRC})
foreach(f ${SJ_RT_API_FILES})
  list(APPEND SJ_RT_LIB_SRC ${PROJECT_SOURCE_DIR}/lib/api/${f}.c)
endforeach()
add_library(symjit_rt_obj OBJECT ${SJ_RT_LIB_SRC})
target_include_directories(symjit_rt_obj PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/lib
                                                 ${PROJECT_SOURCE_DIR}/lib/ir ${PROJECT_SOURCE_DIR}/lib/runtime
                                                 ${PROJECT_SOURCE_DIR}/lib/codegen ${OPENBLAS_INCLUDE_DIRS})
set_target_properties(symjit_rt_obj PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
target_compile_definitions(symjit_rt_obj PRIVATE SJ_OPENBLAS_SONAME="${SJ_OPENBLAS_SONAME}"
                                                 SJ_OPENBLAS_PATH="${SJ_OPENBLAS_PATH}")
set(SJ_RT_DEPS Threads::Threads m ${CMAKE_DL_LIBS})

add_library(symjit_rt_static STATIC $<TARGET_OBJECTS:symjit_ir> $<TARGET_OBJECTS:symjit_rt_obj>)
set_target_properties(symjit_rt_static PROPERTIES OUTPUT_NAME symjit_rt EXPORT_NAME symjit_rt_static)
target_include_directories(symjit_rt_static PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                   $<INSTALL_INTERFACE:include>)
# exported kernels call libm and glibc's vector math (libmvec)
target_link_libraries(symjit_rt_static PUBLIC ${SJ_RT_DEPS} mvec)

add_library(symjit_rt_shared SHARED $<TARGET_OBJECTS:symjit_ir> $<TARGET_OBJECTS:symjit_rt_obj>)
set_target_properties(symjit_rt_shared PROPERTIES OUTPUT_NAME symjit_rt EXPORT_NAME symjit_rt VERSION ${PROJECT_VERSION}
                                                  SOVERSION ${SJ_SOVERSION})
target_include_directories(symjit_rt_shared PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                   $<INSTALL_INTERFACE:include>)
target_link_libraries(symjit_rt_shared PRIVATE ${SJ_RT_DEPS} INTERFACE m mvec)
target_link_options(symjit_rt_shared PRIVATE LINKER:--no-undefined
                    LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/symjit_rt.map)
set_property(TARGET symjit_rt_shared APPEND PROPERTY LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/symjit_rt.map)
add_library(symjit::symjit_rt ALIAS symjit_rt_shared)
add_library(symjit::symjit_rt_static ALIAS symjit_rt_static)
